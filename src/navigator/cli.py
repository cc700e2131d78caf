"""The `navigator` command: Django's manage.py with Navigator's own commands."""

import importlib
import os
import signal
import sys

# Commands that hand their arguments to a pure engine need neither settings nor a database: they skip
# Django's start-up, which took longer (0.7 s) than screening a small file.
ENGINE_COMMANDS = {
    "screen": "navigator.screening.management.commands.screen",
    "estimate": "navigator.estimation.management.commands.estimate",
}


# Commands stopped by SIGTERM (kill, a supervisor) as by Ctrl+C: no partial output file stays, workers are stopped,
# and an import or re-screen records in the audit trail where it stopped.
STOPPED_AS_BY_CTRL_C = {*ENGINE_COMMANDS, "records"}


def main() -> None:
    try:
        if len(sys.argv) > 1 and sys.argv[1] in STOPPED_AS_BY_CTRL_C:
            signal.signal(signal.SIGTERM, signal.default_int_handler)
        if len(sys.argv) > 1 and sys.argv[1] in ENGINE_COMMANDS:
            command = importlib.import_module(ENGINE_COMMANDS[sys.argv[1]]).Command()
            sys.exit(command.run_engine(sys.argv[2:]))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "navigator.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except KeyboardInterrupt as stop:  # an import says what it had stored (services.ImportInterrupted)
        sys.stderr.write(f"navigator: {stop or 'interrupted'}\n")
        sys.exit(130)  # 128 + SIGINT, as a shell reports it; a SIGTERM ends the same way
    except BrokenPipeError:  # the reader stopped early (`navigator screen big.jsonl | head`): nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so that exiting does not write to the pipe
        sys.exit(0)


if __name__ == "__main__":
    main()
