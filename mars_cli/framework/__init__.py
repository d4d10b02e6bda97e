"""The framework as data and what the workspace's files mean: the record kinds (`kinds.yaml` and
their templates), the processes (`processes.yaml`: steps, deadlines, sign-offs, yearly checks)
merged with a workspace's own, mars.yaml read into a Config, and `load.read_workspace`, the first
stage of the pipeline. Beside it: `names.py`, the names Tab completion offers (read from file names
and mars.yaml, never the records), and `doctor.py`, `mars doctor`'s checks of the machine and workspace.

May import: model, store.
"""
