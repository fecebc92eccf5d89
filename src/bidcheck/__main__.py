from bidcheck.cli import main

main()
