"""URL conf for bench/signin.py only: the product's routes plus the floor, a bare Django view
doing one INSERT (never part of the product's URLs)."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from cascade.urls import urlpatterns as product_urlpatterns


@csrf_exempt
def floor(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_floor (at) VALUES (now())")
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [*product_urlpatterns, path("bench/floor/", floor)]
