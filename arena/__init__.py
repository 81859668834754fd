"""Robocode-style guess-factor targeting simulator: engine, strategies, battles, viewer, tuning."""
