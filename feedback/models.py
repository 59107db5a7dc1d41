"""Leader feedback (Appendix C), anonymous facilitator assessments (Appendix F), questions."""

from django.db import models  # noqa: F401
