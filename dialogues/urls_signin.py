"""Routes of signin; included by dialogues/urls.py."""

urlpatterns: list = []
