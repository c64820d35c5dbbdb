"""Processes: the single-machine launcher (make run) and the replica cluster (make run-replicas)."""
