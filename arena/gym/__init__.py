"""Gymnasium environments (optional extra `arena[gym]`): `arena/Dodge-v0` (the agent moves against a gun) and
`arena/Aim-v0` (the agent picks the firing guess factor against a movement).

`import arena.gym` registers both ids; then `gymnasium.make("arena/Dodge-v0", gun="circular")`. This layer
drives the simulator and draws through arena/render; nothing below it imports it.
"""
from __future__ import annotations

try:
    import gymnasium
except ImportError:  # pragma: no cover - depends on the install
    from ..errors import ArenaError
    raise ArenaError("the Gymnasium environments need gymnasium: pip install 'arena[gym]'") from None

for _id, _entry in (("arena/Dodge-v0", "arena.gym.dodge:DodgeEnv"), ("arena/Aim-v0", "arena.gym.aim:AimEnv")):
    if _id not in gymnasium.registry:
        gymnasium.register(id=_id, entry_point=_entry)
