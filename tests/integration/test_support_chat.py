"""T1 live chat over Django Channels (the real consumer and in-memory layer, no mock): two
clients talk, a message is stored before it is broadcast, a retried client id is stored
once, a dropped connection catches up on what it missed, and the chat becomes a ticket."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from support.models import ChatMessage, ChatSession, Ticket
from support.routing import websocket_urlpatterns
from support.services.chat import chat_close, chat_open, chat_pickup
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.no_demo]


def app_for(user):
    router = URLRouter(websocket_urlpatterns)

    async def application(scope, receive, send):
        return await router({**scope, "user": user}, receive, send)
    return application


async def connect(user, key, query=""):
    communicator = WebsocketCommunicator(app_for(user), f"/ws/support/chat/{key}/{query}")
    connected, _sub = await communicator.connect()
    assert connected
    return communicator


def test_two_clients_a_retry_and_a_dropped_connection_that_catches_up():
    async_to_sync(_two_clients)()


async def _two_clients():
    customer = await sync_to_async(make_role_user)("customer")
    agent = await sync_to_async(make_role_user)("agent")
    session = await sync_to_async(chat_open)(customer=customer)
    await sync_to_async(chat_pickup)(session=session, agent=agent)

    them = await connect(customer, session.key)
    us = await connect(agent, session.key, "?as=agent")
    assert (await them.receive_json_from())["type"] == "catch_up"
    assert (await us.receive_json_from())["messages"] == []

    await them.send_json_to({"type": "message", "client_id": "c-1", "body": "My order is late"})
    ack = await them.receive_json_from()
    assert ack["type"] == "ack" and ack["message"]["body"] == "My order is late"
    seen = await us.receive_json_from()
    assert seen["type"] == "message" and seen["message"]["id"] == ack["message"]["id"]
    assert await sync_to_async(ChatMessage.objects.filter(session=session).count)() == 1

    # The same client id again (a retry after a timeout): the stored message, not a copy.
    await them.send_json_to({"type": "message", "client_id": "c-1", "body": "My order is late"})
    again = await them.receive_json_from()
    assert again["message"]["id"] == ack["message"]["id"]
    assert await sync_to_async(ChatMessage.objects.filter(session=session).count)() == 1

    # The customer's connection drops; the agent answers meanwhile.
    last_seen = ack["message"]["id"]
    await them.disconnect()
    await us.send_json_to({"type": "message", "client_id": "a-1", "body": "Looking now"})
    await us.receive_json_from()  # the agent's ack
    await us.send_json_to({"type": "message", "client_id": "a-2", "body": "It ships today"})
    await us.receive_json_from()

    back = await connect(customer, session.key, f"?since={last_seen}")
    catch_up = await back.receive_json_from()
    assert catch_up["type"] == "catch_up"
    assert [message["body"] for message in catch_up["messages"]] == ["Looking now", "It ships today"]
    await back.disconnect()
    await us.disconnect()

    ticket = await sync_to_async(chat_close)(session=session, agent=agent)
    assert ticket.channel == "chat" and "It ships today" in await sync_to_async(
        lambda: ticket.messages.first().body)()
    assert (await sync_to_async(Ticket.objects.get)(pk=ticket.pk)).first_response_at is not None


def test_someone_else_cannot_join_a_customers_chat():
    async_to_sync(_stranger)()


async def _stranger():
    customer = await sync_to_async(make_role_user)("customer")
    stranger = await sync_to_async(make_role_user)("customer")
    session = await sync_to_async(chat_open)(customer=customer)
    communicator = WebsocketCommunicator(app_for(stranger), f"/ws/support/chat/{session.key}/")
    connected, _code = await communicator.connect()
    assert not connected
    operator = await sync_to_async(make_role_user)("operator")
    communicator = WebsocketCommunicator(app_for(operator), f"/ws/support/chat/{session.key}/?as=agent")
    connected, _code = await communicator.connect()
    assert not connected
    assert await sync_to_async(ChatSession.objects.count)() == 1
