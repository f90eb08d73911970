"""Every weight the graph layer uses, in one documented settings object.

Override any of them with ``CARSON_GRAPH_<NAME>`` (e.g. ``CARSON_GRAPH_HALF_LIFE_DAYS=90``)
or by passing a ``GraphWeights(...)`` to ``build_network``.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from carson.models import Channel, TieContext


def _contexts() -> dict[str, float]:
    return {
        TieContext.family: 0.90,
        TieContext.roommate: 0.85,
        TieContext.friend: 0.80,
        TieContext.teammate: 0.80,
        TieContext.client: 0.55,
        TieContext.classmate: 0.50,
        TieContext.colleague: 0.40,
        TieContext.acquaintance: 0.30,
        TieContext.met_once: 0.20,
        TieContext.co_attendee: 0.20,
        TieContext.co_recipient: 0.12,
        TieContext.linkedin: 0.08,
    }


def _channels() -> dict[str, float]:
    return {
        Channel.meeting: 1.0,
        Channel.call: 0.8,
        Channel.event: 0.6,
        Channel.email: 0.5,
        Channel.message: 0.4,
    }


class GraphWeights(BaseSettings):
    """How signals become tie strength, hop probability and route cost."""

    model_config = SettingsConfigDict(env_prefix="CARSON_GRAPH_", extra="ignore")

    half_life_days: float = 180.0
    """Recency decay: an interaction this many days old counts half as much as today's."""

    context_base: dict[str, float] = Field(default_factory=_contexts)
    """Strength a relationship context gives on its own (family > friend > ... > LinkedIn)."""

    context_floor: float = 0.55
    """Share of a context's strength that survives when the tie has gone quiet; the rest
    decays with the last interaction (a friend unseen for years is a weaker route)."""

    context_no_contact: float = 0.85
    """Share of a context's strength kept when no interaction was ever recorded."""

    colleague_overlap_months: float = 48.0
    """Months of overlap at a shared employer that give the full colleague bonus."""

    colleague_bonus: float = 0.35
    """Strength added to colleague context at full overlap (scaled by months)."""

    channel_weight: dict[str, float] = Field(default_factory=_channels)
    """How much one interaction of each channel counts: meeting > call > email > message."""

    volume_saturation: float = 30.0
    """Decayed, channel-weighted interaction count at which frequency saturates (log scale)."""

    activity_weight: float = 0.85
    """Ceiling of the strength interactions alone can give (recent, frequent, two-way)."""

    one_way_factor: float = 0.55
    """Activity multiplier when contact only ever went one way (vs. 1.0 for two-way)."""

    co_presence_weight: float = 0.35
    """Ceiling of the strength co-attending meetings / sharing threads gives two non-owners."""

    max_group_size: int = 12
    """Meetings or threads with more participants than this give no co-presence signal."""

    note_bonus: float = 0.05
    """Strength added per note that mentions both people (at most three)."""

    stale_days: float = 365.0
    """A tie whose last interaction is older than this is labelled stale."""

    hop_p_min: float = 0.04
    hop_p_max: float = 0.92
    """Prior chance an introduction happens along one hop: p_min + (p_max - p_min) * strength."""

    team_ask: float = 0.92
    """Prior chance a teammate agrees to make the ask for you (team routes start with it)."""

    seniority: dict[str, float] = Field(
        default_factory=lambda: {
            "c-level": 0.60,
            "md": 0.70,
            "vp": 0.78,
            "director": 0.82,
            "other": 0.88,
        }
    )
    """Chance the target takes the meeting once introduced, by seniority of their title."""

    prior_strength: float = 8.0
    """Pseudo-outcomes behind the prior when drawing the probability interval."""

    calibration_prior_sd: float = 1.0
    """Gaussian prior width on the Platt slope (around 1) and intercept (around 0)."""

    interval: float = 0.80
    """Central mass of the probability interval shown with every route."""

    alumni_factor: float = 0.5
    """Chance a former employee can still get you in front of the team, once they agree."""

    max_per_first_contact: int = 2
    """At most this many routes through the same first contact, so top-k are alternatives."""
