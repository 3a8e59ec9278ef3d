from django.urls import path

from support.consumers import ChatConsumer

websocket_urlpatterns = [
    path("ws/support/chat/<str:key>/", ChatConsumer.as_asgi()),
]
