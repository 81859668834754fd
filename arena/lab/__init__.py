"""The experiment lab: seeded battle sweeps, tuning, gun x movement comparisons, experiments, plots and
the statistics over seeds. Built on the simulator (arena's top-level modules); the simulator never
imports it."""
