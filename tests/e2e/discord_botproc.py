"""Run the real bot (`python -m bot.cli run`) as a subprocess against the fake Discord, capturing its output."""

from __future__ import annotations

from tests.e2e import botproc

READY_LINE = "discord adapter running"


class BotProcess(botproc.BotProcess):
    """The bot with only a Discord token; ready once the adapter says it runs."""

    def platform_env(self) -> dict[str, str]:
        return {
            "DISCORD_BOT_TOKEN": self.fake.token,
            "DISCORD_API_URL": self.fake.api_url,
            "DISCORD_GATEWAY_URL": self.fake.gateway_url,
            "DISCORD_GUILD_ID": self.fake.guild_id,
        }

    def _mark(self) -> object:
        return len(self.output)

    def _ready(self, mark: object) -> bool:
        return READY_LINE in self.output[mark:]  # type: ignore[index]
