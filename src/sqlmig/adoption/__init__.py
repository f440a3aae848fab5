"""Starting and adopting projects: ``sqlmig init``, ``create``/``drop`` of the
configured database, and ``sqlmig import`` of another tool's migrations and
history (docs/adopting.md).

    scaffold   a new project's files (``init``)
    database   CREATE DATABASE / DROP DATABASE of the environment's database
    source     what every importer produces, and how versions are mapped
    importers  one module per tool: its files, and its ledger
    convert    source migrations -> sqlmig files, validated in memory
    history    the other tool's ledger -> sqlmig ledger rows (status imported)
    importing  the whole import: validate everything, then write
"""
