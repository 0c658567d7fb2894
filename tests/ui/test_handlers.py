"""The page-load callback (``ui.handlers.Handlers.restore``), without a browser."""

import gradio as gr

from ui.handlers import Handlers
from ui.i18n import t


def test_a_page_with_nothing_kept_leaves_the_chat_alone():
    # Load events and a first question race: an empty restore arriving after the answer must not
    # wipe it (seen in CI: the answer vanished and the empty chat's examples came back).
    chat, sources, hint, count = Handlers(None).restore([], [], None)
    skip = type(gr.skip())
    assert isinstance(chat, skip) and isinstance(sources, skip) and isinstance(hint, skip)
    assert count == t("en", "pack_empty")
