"""The decision ledger (SPEC §5): what bidcheck decided about each tender, remembered.

``database`` opens the SQLite file, its schema and forward migrations (all SQL is there);
``entry`` makes what one tender's check records; ``recorder`` writes versions in
transactions; ``history`` reads them back; ``portfolio`` adds them up for trustees;
``location`` says where the ledger lives.
"""
