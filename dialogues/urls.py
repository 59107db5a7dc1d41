from django.urls import path

app_name = "dialogues"
urlpatterns: list = []
