"""An offline stand-in for the Fashion.AI API: in-process (httpx transport) or over loopback HTTP."""

from fashionai.simulator.engine import SimResponse, Simulator
from fashionai.simulator.faults import PRESETS, Faults, Preset
from fashionai.simulator.server import serve, start_server
from fashionai.simulator.transport import IN_PROCESS_BASE_URL, IN_PROCESS_TOKEN, SimulatorTransport

__all__ = ["IN_PROCESS_BASE_URL", "IN_PROCESS_TOKEN", "PRESETS", "Faults", "Preset", "SimResponse", "Simulator", "SimulatorTransport", "serve", "start_server"]
