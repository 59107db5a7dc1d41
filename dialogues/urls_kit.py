"""Routes of kit; included by dialogues/urls.py."""

urlpatterns: list = []
