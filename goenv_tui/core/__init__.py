"""The Textual-free core: probe, resolve, diagnose, plan, apply, snapshot."""
