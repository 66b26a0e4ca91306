"""Neutral replies rendered as Discord messages."""

from __future__ import annotations

from adapters.discord_render import render
from core.messages import Attachment, Button, Reply


def test_a_titled_reply_is_an_embed_and_an_untitled_one_plain_escaped_content() -> None:
    titled = render(Reply("Squat 3×8", title="Today")).send_kwargs()
    assert titled["embed"].title == "Today" and titled["embed"].description == "Squat 3×8"
    assert "content" not in titled
    plain = render(Reply("use *this* and __init__")).send_kwargs()
    assert plain["content"] == "use \\*this\\* and \\_\\_init\\_\\_" and "embed" not in plain


def test_long_text_is_clipped_to_discords_limits() -> None:
    assert len(render(Reply("x" * 5000)).send_kwargs()["content"]) == 2000
    assert len(render(Reply("x" * 5000, title="T" * 300)).send_kwargs()["embed"].title) == 256


async def test_buttons_carry_their_typed_command_as_custom_id() -> None:
    rows = ((Button("Squat", "/log squat 3x8"), Button("Done", "/done")), (Button("Keep", "/help"),))
    view = render(Reply("Tick", buttons=rows)).send_kwargs()["view"]
    components = view.to_components()
    assert [[b["custom_id"] for b in row["components"]] for row in components] == [
        ["/log squat 3x8", "/done"],
        ["/help"],
    ]
    assert view.is_finished()  # no per-message state: presses reach the generic handler


def test_more_rows_than_discord_allows_are_reflowed_and_duplicates_dropped() -> None:
    rows = (*((Button(f"B{i}", f"/log b{i} 3x8"),) for i in range(7)), (Button("again", "/log b0 3x8"),))
    components = render(Reply("Tick", buttons=rows)).send_kwargs()["view"].to_components()
    assert [len(row["components"]) for row in components] == [5, 2]


def test_an_image_shows_inside_the_embed_and_files_are_attached() -> None:
    chart = Attachment("progress.png", b"png", "image")
    sent = render(Reply("Best 60 kg", title="Progress", attachments=(chart,))).send_kwargs()
    assert sent["embed"].image.url == "attachment://progress.png"
    assert [f.filename for f in sent["files"]] == ["progress.png"]


def test_an_edit_clears_what_the_new_reply_does_not_carry() -> None:
    edit = render(Reply("Logged.")).edit_kwargs()
    assert edit["content"] == "Logged." and edit["embed"] is None and edit["view"] is None
    assert edit["attachments"] == []
