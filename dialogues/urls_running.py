"""Routes of running; included by dialogues/urls.py."""

urlpatterns: list = []
