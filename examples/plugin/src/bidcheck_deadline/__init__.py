"""bidcheck-deadline: an example bidcheck plugin about the time a tender leaves to bid.

Registered under the ``bidcheck.rules`` entry-point group as this package, so bidcheck
collects the rules of every module in it. Each module uses ``bidcheck.api`` and nothing
else; see ``bidding_window.py``.
"""
