"""Synthetic PIU traffic with ground truth: a realistic day, reproducible from a seed.

Entry point: ``paxwatch.synth.day.generate_day(SynthConfig(...), out_dir)``; see
``docs/synth.md`` for what a day holds and the truth record types.
"""
