"""Password rules worded in Chinese where Django's own catalogue has no translation for its message."""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator


class ChineseMinimumLengthValidator(MinimumLengthValidator):
    """Django 5's "too short" message has no zh-hans translation; say it in Chinese here."""

    def get_error_message(self) -> str:
        return f"这个密码太短了，至少要包含 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"你的密码必须包含至少 {self.min_length} 个字符。"
