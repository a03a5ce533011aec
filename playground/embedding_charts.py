"""Figures of the Embeddings page (plotly, no Streamlit): the cosine matrix with its values written
in the cells, and the labelled 2-D map. Numbers follow the person's language (decimal comma)."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

LABEL_CHARS = 32


def short_labels(texts: Sequence[str]) -> list[str]:
    """ "1. Le chat dort sur le…": numbered (two equal sentences stay two rows) and cut for the axes."""
    out = []
    for i, t in enumerate(texts, 1):
        t = " ".join(t.split())
        out.append(f"{i}. {t if len(t) <= LABEL_CHARS else t[:LABEL_CHARS - 1] + '…'}")
    return out


def _separators(lang: str) -> str:
    return ", " if lang == "fr" else ".,"


def heatmap_figure(texts: Sequence[str], similarity: np.ndarray, lang: str, colorbar_title: str) -> go.Figure:
    labels = short_labels(texts)
    n = len(labels)
    fig = go.Figure(go.Heatmap(
        z=np.round(np.asarray(similarity, dtype=float), 4), x=labels, y=labels,
        zmin=-0.2, zmax=1.0, colorscale="Viridis",
        texttemplate="%{z:.2f}", textfont=dict(size=14 if n <= 8 else 11),
        hovertemplate="%{y}<br>%{x}<br>%{z:.3f}<extra></extra>",
        colorbar=dict(title=dict(text=colorbar_title)),
    ))
    fig.update_layout(separators=_separators(lang), height=max(360, 60 + 48 * n),
                      margin=dict(l=10, r=10, t=10, b=10),
                      yaxis=dict(autorange="reversed", type="category"),
                      xaxis=dict(type="category", tickangle=-30))
    return fig


def map_figure(texts: Sequence[str], coords: np.ndarray, lang: str, x_title: str, y_title: str) -> go.Figure:
    labels = short_labels(texts)
    fig = go.Figure(go.Scatter(
        x=coords[:, 0], y=coords[:, 1], mode="markers+text", text=labels, textposition="top center",
        marker=dict(size=12), hovertext=[" ".join(t.split()) for t in texts], hoverinfo="text",
    ))
    fig.update_layout(separators=_separators(lang), height=460, margin=dict(l=10, r=10, t=10, b=10),
                      xaxis=dict(title=x_title, zeroline=False), yaxis=dict(title=y_title, zeroline=False),
                      showlegend=False)
    return fig


def explained_share(vectors: np.ndarray) -> float:
    """The share of the variance the two PCA axes keep (what the map leaves out is 1 − this)."""
    v = np.asarray(vectors, dtype=np.float64)
    if v.shape[0] < 2:
        return 1.0
    s = np.linalg.svd(v - v.mean(axis=0), compute_uv=False)
    total = float(np.sum(s ** 2))
    return 1.0 if total == 0 else float(np.sum(s[:2] ** 2) / total)
