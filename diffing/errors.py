"""The one error the engine raises for bad input: it names the file and the problem."""


class InputError(Exception):
    """A report or mapping that cannot be used; str() is the one-line message."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
