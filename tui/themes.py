"""The app's two themes: a calm default and a high-contrast one (also used with
NO_COLOR, where Textual additionally renders in monochrome). Every state that matters
is also shown in words or with a border shape, never by colour alone."""

from __future__ import annotations

from textual.theme import Theme

CALM = Theme(
    name="atc-calm",
    primary="#5B9BD5",
    secondary="#8FA8C8",
    accent="#F2C14E",
    warning="#F2C14E",
    error="#F0565B",
    success="#5DBB7A",
    foreground="#E8EDF2",
    background="#161B22",
    surface="#1D242D",
    panel="#26303B",
    dark=True,
)

HIGH_CONTRAST = Theme(
    name="atc-high-contrast",
    primary="#FFFFFF",
    secondary="#FFFFFF",
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF6060",
    success="#00FF66",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    boost="#FFFFFF",
    dark=True,
    variables={
        "text-muted": "#FFFFFF",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "input-cursor-background": "#FFFF00",
        "input-cursor-foreground": "#000000",
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "input-selection-background": "#FFFF00 60%",
    },
)

THEMES = (CALM, HIGH_CONTRAST)
