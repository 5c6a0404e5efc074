"""People and systems that use FairTrack: accounts, passwords and bearer tokens."""
