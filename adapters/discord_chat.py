"""The Discord adapter: slash commands and buttons in, embeds, files and views out, on discord.py."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters import traffic
from adapters.discord_commands import PERSONAL_COMMANDS, build_tree, sync_commands, typed_command
from adapters.discord_interactions import PLATFORM, Answerer, custom_id_of, incoming_from_kept, read_owned
from adapters.discord_render import render_all
from adapters.pacing import DISCORD_LIMITS, Pacer
from core.clock import Clock, SystemClock
from core.messages import ChatAddress, DeliveryError, Incoming, RecipientUnreachable, Reply, StartFailed
from core.ports import Hub

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

# Interaction tokens (valid 15 minutes) ride in these paths; discord.py logs the URLs at DEBUG.
_TOKEN_PATHS = re.compile(r"(/(?:interactions|webhooks)/[0-9]+/)[A-Za-z0-9._\-]+")
# …and in the gateway's event dumps (``'token': '…'`` or ``"token": "…"``).
_TOKEN_FIELDS = re.compile(r"""(['"]token['"]\s*:\s*['"])[^'"]+""")


def redact(text: str) -> str:
    return _TOKEN_FIELDS.sub(r"\1<token>", _TOKEN_PATHS.sub(r"\1<token>", text))


NUDGE_RATE = 20.0


class TokenPathRedactor(logging.Filter):
    """Hides interaction and webhook tokens in every log record, at every level."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


READY_TIMEOUT = 30.0
# Discord keeps an interaction's token valid for 15 minutes: a follow-up can still answer it.
TOKEN_LIFE = timedelta(minutes=15)
UPGRADED = "I've just been updated: give Discord a minute to refresh this command, then send it again."


class ShardElection(Protocol):
    """Who owns one Discord shard among the processes (bot/leadership.py's ``Leadership``)."""

    async def acquire(self, stopping: asyncio.Event) -> bool: ...
    async def watch(self, on_lost: Callable[[], None], stopping: asyncio.Event) -> bool: ...
    async def release(self) -> None: ...


TAKEOVER_GRACE_S = 2.5  # a new shard owner waits so that an old one whose lock connection died has fenced
SHARD_RETRY_S = 5.0


class _Client(discord.Client):
    """A discord.Client that forwards the events the adapter cares about (one shard's, when sharded)."""

    def __init__(
        self, adapter: DiscordChat, guild_ready_timeout: float, shard: tuple[int, int] | None = None
    ) -> None:
        # Runlift has no voice: spare the logs discord.py's warnings about missing voice libraries.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        sharding: dict[str, Any] = {} if shard is None else {"shard_id": shard[0], "shard_count": shard[1]}
        # No privileged intents: slash commands and buttons need neither message content nor members.
        super().__init__(
            intents=discord.Intents.default(),
            guild_ready_timeout=guild_ready_timeout,
            http_trace=traffic.http_trace(PLATFORM),
            **sharding,
        )
        self.adapter = adapter
        self.ready = asyncio.Event()
        self.fenced = False  # its shard's lock was lost: it answers nothing more

    async def on_ready(self) -> None:
        log.info("Discord: connected as %s", self.user)
        self.ready.set()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        traffic.report(PLATFORM, "update")
        await self.adapter.on_interaction(interaction)

    async def on_message(self, message: discord.Message) -> None:
        await self.adapter.on_direct_message(message)

    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        await self.adapter.on_member_left(payload.guild_id, payload.user.id)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self.adapter.on_guild_left(guild)

    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        await self.adapter.on_channel_gone(channel.id)


class DiscordChat:
    """Serves every command of the table as a slash command; sends nudges to channels and DMs.

    Chat ids: a guild channel's id (a group chat) or, for a DM, the user's id.
    ``answer_within`` is how long the core may take before an interaction is deferred;
    ``guild_ready_timeout`` how long discord.py waits for more guilds before it is ready.
    """

    platform = PLATFORM

    def __init__(
        self,
        token: str,
        api_url: str = "",
        gateway_url: str = "",
        guild_id: str = "",
        answer_within: float = 1.5,
        guild_ready_timeout: float = 2.0,
        clock: Clock | None = None,
        shards: tuple[int, tuple[int, ...]] | None = None,
        elect: Callable[[int], ShardElection] | None = None,
    ) -> None:
        """``shards``: the shard count and the shards this process may run (``None``: one gateway);
        ``elect``: with several processes, each shard's election (a process runs a shard only while
        it holds the shard's lock). Sharded, a client without a gateway does the REST work (sends,
        registering the slash commands) and one client per shard owned takes the gateway's events."""
        self._clock = clock or SystemClock()
        self._shards = shards
        self._elect = elect if shards is not None else None
        self._shard_clients: dict[int, tuple[_Client, asyncio.Task[None]]] = {}
        self._elections: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()
        self._token = token
        self._api_url = api_url.rstrip("/")
        self._gateway_url = gateway_url
        self._guild_id = guild_id
        self._answer_within = answer_within
        self._guild_ready_timeout = guild_ready_timeout
        self._hub: Hub | None = None
        self._client: _Client | None = None
        self._connection: asyncio.Task[None] | None = None
        self._pacer = Pacer(DISCORD_LIMITS)
        # A DM nudge is two requests (open the DM, send) of the 50 a second, with room for replies.
        self.nudge_rate: float | None = NUDGE_RATE
        self._answerer: Answerer | None = None
        self._channels: dict[int, set[int]] = {}  # guild id -> channel ids seen in interactions
        self._fenced = False
        self._closing: asyncio.Task[None] | None = None

    @classmethod
    def from_settings(
        cls, settings: Settings, clock: Clock, elect: Callable[[int], ShardElection] | None = None
    ) -> DiscordChat:
        return cls(
            token=settings.discord_bot_token,
            api_url=settings.discord_api_url,
            gateway_url=settings.discord_gateway_url,
            guild_id=settings.discord_guild_id,
            clock=clock,
            shards=settings.shards(),
            elect=elect,
        )

    @property
    def active_active(self) -> bool:
        """Sharded with an election per shard: every process runs this adapter, each shard in one of them."""
        return self._elect is not None

    def __repr__(self) -> str:  # never show the token
        return f"DiscordChat(api_url={self._api_url!r}, guild_id={self._guild_id!r})"

    async def start(self, hub: Hub) -> None:
        """Log in, register the slash commands, connect the gateway as a task; return once ready."""
        for name in (
            "discord",
            "discord.http",
            "discord.webhook.async_",
            "discord.gateway",
            "discord.client",
        ):
            logger = logging.getLogger(name)
            if not any(isinstance(f, TokenPathRedactor) for f in logger.filters):
                logger.addFilter(TokenPathRedactor())
        self._hub = hub
        self._answerer = Answerer(hub.handle, hub.receive, hub.settled, self._clock.now, self._answer_within)
        if self._api_url:
            Route.BASE = self._api_url
        if self._gateway_url:
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self._gateway_url)
        if self._shards is not None:
            await self._start_sharded()
            return
        client = self._client = _Client(self, self._guild_ready_timeout)
        tree = build_tree(client, self._on_command)
        tree.on_error = self._on_tree_error  # type: ignore[method-assign]
        try:
            await client.login(self._token)
        except Exception as exc:
            await client.close()
            if isinstance(exc, discord.LoginFailure):
                raise StartFailed("Discord refused DISCORD_BOT_TOKEN: check the token") from None
            raise
        try:
            count = await sync_commands(tree, self._guild_id)
            log.info(
                "Discord: %d slash commands registered%s", count, " to the guild" if self._guild_id else ""
            )
        except discord.HTTPException as exc:
            log.error("Discord: registering slash commands failed: %s %s", exc.status, exc.text)
        self._connection = asyncio.create_task(client.connect(reconnect=True), name="discord-gateway")
        ready = asyncio.create_task(client.ready.wait())
        done, _ = await asyncio.wait(
            {ready, self._connection}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            failure = self._connection.exception() if self._connection in done else None
            await self.stop()
            raise StartFailed(f"Discord gateway not ready: {failure or 'timed out'}")
        await self._replay(client)

    # sharded

    async def _start_sharded(self) -> None:
        """The REST client logs in; then each shard starts here (one process) or when its lock is won."""
        assert self._shards is not None
        client = self._client = _Client(self, self._guild_ready_timeout)
        try:
            await client.login(self._token)
        except Exception as exc:
            await client.close()
            self._client = None
            if isinstance(exc, discord.LoginFailure):
                raise StartFailed("Discord refused DISCORD_BOT_TOKEN: check the token") from None
            raise
        self._stopping.clear()
        count, ids = self._shards
        if self._elect is None:
            try:
                for shard in ids:
                    await self._start_shard(shard)
            except BaseException:
                await self.stop()
                raise
            await self.lead()
            return
        self._elections = [asyncio.create_task(self._run_elected(k), name=f"discord-shard-{k}") for k in ids]
        log.info(
            "Discord: %d of %d shards may run here, each while this process holds its lock", len(ids), count
        )

    async def lead(self) -> None:
        """Sharded, the leader's part: register the slash commands and answer what was kept before a stop."""
        client = self._client
        if self._shards is None or client is None:
            return
        tree = build_tree(client, self._on_command)
        try:
            count = await sync_commands(tree, self._guild_id)
            log.info(
                "Discord: %d slash commands registered%s", count, " to the guild" if self._guild_id else ""
            )
        except discord.HTTPException as exc:
            log.error("Discord: registering slash commands failed: %s %s", exc.status, exc.text)
        await self._replay(client)

    async def _start_shard(self, shard: int) -> None:
        assert self._shards is not None
        client = _Client(self, self._guild_ready_timeout, shard=(shard, self._shards[0]))
        tree = build_tree(client, self._on_command)
        tree.on_error = self._on_tree_error  # type: ignore[method-assign]
        await client.login(self._token)
        connection = asyncio.create_task(client.connect(reconnect=True), name=f"discord-gateway-{shard}")
        ready = asyncio.create_task(client.ready.wait())
        done, _ = await asyncio.wait(
            {ready, connection}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            failure = connection.exception() if connection in done else None
            await client.close()
            connection.cancel()
            await asyncio.gather(connection, return_exceptions=True)
            raise StartFailed(f"Discord gateway shard {shard} not ready: {failure or 'timed out'}")
        self._shard_clients[shard] = (client, connection)
        log.info("Discord: shard %d of %d connected", shard, self._shards[0])

    async def _stop_shard(self, shard: int) -> None:
        held = self._shard_clients.pop(shard, None)
        if held is None:
            return
        client, connection = held
        with suppress(Exception):
            await client.close()
        connection.cancel()
        await asyncio.gather(connection, return_exceptions=True)

    def _fence_shard(self, shard: int) -> None:
        """The shard's lock is lost: its client answers nothing more and its gateway closes now."""
        held = self._shard_clients.get(shard)
        if held is not None:
            held[0].fenced = True
            self._closing = asyncio.ensure_future(held[0].close())

    async def _run_elected(self, shard: int) -> None:
        """Compete for the shard's lock; while held, run its gateway; when lost, fence and compete again."""
        assert self._elect is not None
        election = self._elect(shard)
        while not self._stopping.is_set():
            try:
                if not await election.acquire(self._stopping):
                    return
                lost = False
                try:
                    with suppress(TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), TAKEOVER_GRACE_S)
                    if self._stopping.is_set():
                        return
                    await self._start_shard(shard)
                    lost = await election.watch(lambda: self._fence_shard(shard), self._stopping)
                finally:
                    await self._stop_shard(shard)
                    if not lost:
                        await election.release()
            except Exception as error:
                log.warning("Discord: shard %d: %s; trying again in %g s", shard, error, SHARD_RETRY_S)
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), SHARD_RETRY_S)

    def owned_shards(self) -> list[int]:
        """The shards whose gateway this process runs now."""
        return sorted(self._shard_clients)

    def _guild(self, guild_id: int) -> discord.Guild | None:
        for client, _ in self._shard_clients.values():
            found = client.get_guild(guild_id)
            if found is not None:
                return found
        return self._client.get_guild(guild_id) if self._client is not None else None

    async def _replay(self, client: discord.Client) -> None:
        """Interactions kept but not handled before the last stop: run once now, and answered.

        Within the token's 15 minutes the answer is a follow-up to the interaction itself
        (when it was acknowledged before the stop); otherwise it goes to the runner's DMs.
        """
        assert self._hub is not None
        pending = await self._hub.pending(PLATFORM)
        for event in pending:
            incoming, kept = incoming_from_kept(event)
            replies = await self._hub.handle(incoming)
            if not replies:
                continue
            fresh = self._clock.now() - event.received_at < TOKEN_LIFE
            if fresh and await self._follow_up(client, kept, replies):
                continue
            with_note = [Reply(f"About your {incoming.text.split()[0]} from earlier:"), *replies]
            try:
                await self.send(
                    ChatAddress(PLATFORM, incoming.user_id),
                    Reply("\n".join(r.full_text() for r in with_note)),
                )
            except DeliveryError as exc:
                log.info("Discord: the answer to a kept interaction could not be delivered: %s", exc)
        if pending:
            log.info("Discord: %d interactions kept from before the restart were handled", len(pending))

    async def _follow_up(self, client: discord.Client, kept: dict[str, Any], replies: list[Reply]) -> bool:
        webhook = discord.Webhook.partial(int(kept["application_id"]), kept["token"], client=client)
        try:
            for reply in replies:
                for part in render_all(reply, kept["user_id"]):
                    await webhook.send(**part.send_kwargs(), ephemeral=reply.personal)
        except discord.HTTPException as exc:
            log.info("Discord: a kept interaction could not be followed up: %s %s", exc.status, exc.text)
            return False
        return True

    async def _on_tree_error(self, interaction: discord.Interaction, error: Exception) -> None:
        """An interaction the registered commands cannot read (e.g. sent with an older signature)."""
        log.info("Discord: an interaction could not be read: %s", type(error).__name__)
        if self._answerer is not None:
            await self._answerer.refuse(interaction, UPGRADED)

    def fence(self) -> None:
        """Leadership lost: close the gateway now and answer nothing more (the new leader's gateway will)."""
        self._fenced = True
        client = self._client
        if client is not None and not client.is_closed():
            self._closing = asyncio.ensure_future(client.close())

    def connected(self) -> bool:
        """Logged in with the gateway ready (discord.py reconnects by itself after a drop); sharded,
        logged in with every shard this process runs ready."""
        client = self._client
        if self._shards is not None:
            shards = [c for c, _ in self._shard_clients.values()]
            ok = all(c.is_ready() and not c.is_closed() for c in shards)
            return (
                client is not None
                and not client.is_closed()
                and ok
                and (bool(shards) or self._elect is not None)
            )
        return client is not None and client.is_ready() and not client.is_closed()

    async def stop(self) -> None:
        self._stopping.set()
        elections, self._elections = self._elections, []
        if elections:  # each releases its shard's lock as it ends
            _, late = await asyncio.wait(elections, timeout=5)
            for election in late:
                election.cancel()
            await asyncio.gather(*elections, return_exceptions=True)
        for shard in list(self._shard_clients):
            await self._stop_shard(shard)
        client, self._client = self._client, None
        if client is not None:
            await client.close()
        if self._closing is not None:
            await asyncio.gather(self._closing, return_exceptions=True)
        task, self._connection = self._connection, None
        if task is not None and not task.done():
            task.cancel()
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)

    async def send(self, address: ChatAddress, reply: Reply) -> None:
        client = self._client
        if client is None:
            raise DeliveryError("Discord is not connected")
        owner = "" if address.is_group else address.chat_id
        try:
            channel = await self._channel(client, address)
            for part in render_all(reply, owner):
                await self._pacer.wait(address.chat_id, address.is_group)
                await channel.send(**part.send_kwargs())
        except discord.Forbidden as exc:
            # What an unreachable recipient means is settled by the caller (the nudge pass).
            raise RecipientUnreachable(f"discord {address.chat_id}: {exc.code} {exc.text}") from exc
        except discord.NotFound as exc:
            if address.is_group:
                await self.on_channel_gone(int(address.chat_id))
            raise RecipientUnreachable(f"discord {address.chat_id}: {exc.code} {exc.text}") from exc
        except discord.HTTPException as exc:
            raise DeliveryError(f"discord {address.chat_id}: {exc.status} {exc.text}") from exc
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise DeliveryError(f"discord {address.chat_id}: {exc!r}") from exc

    async def _channel(self, client: discord.Client, address: ChatAddress) -> Any:
        if address.is_group:
            return client.get_partial_messageable(int(address.chat_id))
        return await client.create_dm(discord.Object(id=int(address.chat_id)))

    async def _on_command(self, interaction: discord.Interaction, name: str, values: dict[str, Any]) -> None:
        if self._fenced or getattr(interaction.client, "fenced", False):
            return  # arrived after leadership (or the shard's lock) was lost
        self._remember(interaction)
        if self._answerer is not None:
            files = {k: v for k, v in values.items() if isinstance(v, discord.Attachment)}
            words = {k: v for k, v in values.items() if not isinstance(v, discord.Attachment)}
            await self._answerer.command(
                interaction,
                typed_command(name, words, files),
                name in PERSONAL_COMMANDS,
                next(iter(files.values()), None),
            )

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Button presses, handled generically so buttons sent before a restart keep working."""
        if (
            interaction.type is not discord.InteractionType.component
            or self._answerer is None
            or self._fenced
            or getattr(interaction.client, "fenced", False)
        ):
            return
        if read_owned(custom_id_of(interaction))[1].startswith("/"):
            self._remember(interaction)
            await self._answerer.component(interaction)

    async def on_direct_message(self, message: discord.Message) -> None:
        """A command typed in a DM (Discord gives DM text without the message-content intent): for the
        commands no slash command offers, such as an operator's /admin status. Answered in the DM."""
        if message.guild is not None or message.author.bot or self._hub is None:
            return
        if not message.content.startswith("/"):
            return
        traffic.report(PLATFORM, "update")
        author = message.author
        incoming = Incoming(
            platform=PLATFORM,
            user_id=str(author.id),
            user_name=author.display_name,
            chat_id=str(author.id),
            is_group=False,
            text=message.content.strip(),
            at=message.created_at,
            event_id=f"discord:message:{message.id}",
        )
        try:
            replies = await self._hub.handle(incoming)
            for reply in replies:
                for part in render_all(reply, str(author.id)):
                    await message.channel.send(**part.send_kwargs())
        except discord.HTTPException as exc:
            log.warning("Discord: answering a DM failed: %s %s", exc.status, exc.text)

    def _remember(self, interaction: discord.Interaction) -> None:
        if interaction.guild_id is not None and interaction.channel_id is not None:
            self._channels.setdefault(interaction.guild_id, set()).add(interaction.channel_id)

    def _guild_channels(self, guild_id: int, guild: discord.Guild | None = None) -> set[int]:
        known = set(self._channels.get(guild_id, set()))
        if guild is not None:
            known.update(c.id for c in guild.channels if isinstance(c, discord.abc.Messageable))
            known.update(t.id for t in guild.threads)
        return known

    async def on_member_left(self, guild_id: int, user_id: int) -> None:
        """Leaving a guild leaves the buddy group of each of its channels we know of."""
        if self._hub is None or self._client is None:
            return
        for channel_id in sorted(self._guild_channels(guild_id, self._guild(guild_id))):
            await self._hub.member_left(PLATFORM, str(channel_id), str(user_id))

    async def on_guild_left(self, guild: discord.Guild) -> None:
        """The bot was removed from a guild: every channel of it is a closed group chat."""
        if self._hub is None:
            return
        for channel_id in sorted(self._guild_channels(guild.id, guild)):
            await self._hub.chat_closed(PLATFORM, str(channel_id))
        self._channels.pop(guild.id, None)

    async def on_channel_gone(self, channel_id: int) -> None:
        for channels in self._channels.values():
            channels.discard(channel_id)
        if self._hub is not None:
            await self._hub.chat_closed(PLATFORM, str(channel_id))
