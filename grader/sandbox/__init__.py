"""The trusted side of the sandbox: run one command with limits and a whole-tree kill.

``base`` declares what every tier implements; ``portable`` (supervised process tree), ``linux``
(bubblewrap, a uid per run, cgroups) and ``basic`` (portable calls only, students' own machines)
are the tiers; ``choose.make_sandbox`` picks one. ``supervisor`` is the stand-alone child
subreaper; ``proctable`` is the one place /proc is parsed. Nothing here imports the grading.
"""
