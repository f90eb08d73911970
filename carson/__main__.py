from carson.cli import main

main()
