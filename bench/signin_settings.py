"""Settings for bench/signin.py only: the product's settings with a URL conf that adds the floor
endpoint, and static files collected into a temporary folder."""

import os

from cascade.settings import *  # noqa: F403

ROOT_URLCONF = "bench.signin_urls"
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
