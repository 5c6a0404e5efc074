"""Static assets served by the app at /static: the vendored Ontario Design System and FairTrack's own
styles, shipped as package data so `pip install .` serves them too."""
