"""CLI sub-commands (see playground.cli)."""
