"""Allow ``python -m dasklint``."""

from dasklint.cli.entry import main

if __name__ == "__main__":
    main()
