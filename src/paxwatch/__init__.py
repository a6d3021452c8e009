"""paxwatch: an open-source Passenger Information Unit (PIU) platform."""

__version__ = "0.1.0"
