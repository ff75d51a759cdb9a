"""The edit mode's core: changes, the staged plan, building a plan, predicting and verifying it.

``change`` (one requested set/unset and where), ``stage`` (the staged plan kept in the state
directory, shared by the CLI and the TUI), ``build`` (changes -> files with old/new bytes,
validated, privilege-checked), ``world`` (the predicted chains: the real go and the real shell
run in a private mount namespace where the planned files already have their new bytes),
``preview`` (what a person reads before saying yes) and ``verify`` (after apply: did each
variable get the promised value and source?).
"""
