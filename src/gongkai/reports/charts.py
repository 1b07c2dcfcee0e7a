"""Charts for documents (通报, 回头看): PNG bytes drawn with matplotlib and a CJK font (fonts-noto-cjk)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei"]


def _use_cjk_font() -> None:
    available = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in available:
            plt.rcParams["font.sans-serif"] = [name]
            break
    plt.rcParams["axes.unicode_minus"] = False


def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=130, bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()


def ranking_bars(title: str, names: Sequence[str], rates: Sequence[float]) -> bytes:
    _use_cjk_font()
    height = max(2.5, 0.32 * len(names) + 1)
    fig, ax = plt.subplots(figsize=(8, height))
    ax.barh(list(reversed(names)), list(reversed(rates)), color="#1d4f91")
    for y, v in enumerate(reversed(rates)):
        ax.text(v + 0.5, y, f"{v:.1f}%", va="center", fontsize=8)
    ax.set_xlim(0, 105)
    ax.set_xlabel("得分率（%）")
    ax.set_title(title)
    return _png(fig)


def score_distribution(title: str, rates: Sequence[float]) -> bytes:
    _use_cjk_font()
    fig, ax = plt.subplots(figsize=(8, 3.2))
    bins = [0, 60, 70, 80, 90, 100.01]
    labels = ["60以下", "60-70", "70-80", "80-90", "90以上"]
    counts = [sum(1 for r in rates if lo <= r < hi) for lo, hi in zip(bins, bins[1:], strict=False)]
    ax.bar(labels, counts, color="#3a7bd5")
    for x, c in enumerate(counts):
        ax.text(x, c + 0.05, str(c), ha="center", fontsize=9)
    ax.set_ylabel("单位数")
    ax.set_title(title)
    return _png(fig)


def rank_changes(title: str, names: Sequence[str], changes: Sequence[int]) -> bytes:
    _use_cjk_font()
    height = max(2.5, 0.32 * len(names) + 1)
    fig, ax = plt.subplots(figsize=(8, height))
    colors = ["#1a7f37" if c > 0 else ("#b42318" if c < 0 else "#98a2b3") for c in changes]
    ax.barh(list(reversed(names)), list(reversed(changes)), color=list(reversed(colors)))
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_xlabel("名次变化（正数为上升）")
    ax.set_title(title)
    return _png(fig)
