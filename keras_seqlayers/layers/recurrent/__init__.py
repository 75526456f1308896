"""Recurrent cells and layers, all driven by one scan engine."""
