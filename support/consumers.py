"""The live chat's WebSocket (Django Channels). A client connects to
/ws/support/chat/<key>/?since=<last id>[&as=agent]: it first receives every stored message
after `since` (catch-up after a dropped connection), then new ones as they are stored.
It sends {"type": "message", "client_id": …, "body": …}; the answer is {"type": "ack",
"client_id", "message"} and every participant gets {"type": "message", "message"}."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from core.permissions import Ability, has_ability
from support.errors import SupportError
from support.models import ChatMessage, ChatSession
from support.services.chat import chat_post, chat_since, payload


def _session_for(key: str, user, as_agent: bool) -> tuple[ChatSession | None, str]:
    session = ChatSession.objects.select_related("customer").filter(key=key).first()
    if session is None:
        return None, ""
    if as_agent:
        return (session, ChatMessage.Sender.AGENT) if has_ability(user, Ability.HANDLE_TICKETS) else (None, "")
    if session.customer_id and getattr(user, "pk", None) != session.customer_id:
        return None, ""
    return session, ChatMessage.Sender.CUSTOMER


class ChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        query = dict(pair.split("=", 1) for pair in self.scope.get("query_string", b"").decode().split("&")
                     if "=" in pair)
        self.session, self.sender = await database_sync_to_async(_session_for)(
            self.scope["url_route"]["kwargs"]["key"], self.scope.get("user"), query.get("as") == "agent")
        if self.session is None:
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(self.session.group_name, self.channel_name)
        await self.accept()
        since = int(query["since"]) if query.get("since", "").isdigit() else 0
        missed = await database_sync_to_async(chat_since)(session=self.session, after_id=since)
        await self.send_json({"type": "catch_up", "messages": missed, "status": self.session.status})

    async def disconnect(self, code):
        if getattr(self, "session", None) is not None:
            await self.channel_layer.group_discard(self.session.group_name, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") != "message":
            return
        try:
            message, _new = await database_sync_to_async(self._store)(content)
        except SupportError as exc:
            await self.send_json({"type": "error", "code": exc.code, "detail": str(exc.message),
                                  "client_id": content.get("client_id")})
            return
        await self.send_json({"type": "ack", "client_id": message.client_id, "message": payload(message)})

    def _store(self, content):
        user = self.scope.get("user")
        author = user if getattr(user, "is_authenticated", False) else None
        return chat_post(session=self.session, sender=self.sender, body=str(content.get("body", "")),
                         client_id=str(content.get("client_id", "")), author=author)

    async def chat_event(self, event):
        await self.send_json(event["data"])
