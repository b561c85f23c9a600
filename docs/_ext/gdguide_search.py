"""Japanese search that finds compound words: Sphinx's JanomeSplitter plus the compounds.

Sphinx splits the text of a Japanese page into words with janome (a morphological analyser)
when it builds the search index, but the search page cannot run janome on the query: a query is
split only at spaces and punctuation. A term such as 偏微分 or 確率的勾配降下法 reaches the
index as its parts (偏 / 微分, 確率 / 的 / 勾配 / 降下 / 法) and the query, one word, matched none
of them: 自動微分 found 3 of the 10 pages that contain it.

:class:`JanomeCompoundSplitter` keeps janome's words and adds, for each run of consecutive nouns,
every contiguous part of two or more of them (up to :data:`MAX_PARTS`; a prefix may start the
run and の may join two nouns), so that the compound a reader types is itself a word of the
index. Select it with
``html_search_options = {"type": "gdguide_search.JanomeCompoundSplitter"}``.
"""

from __future__ import annotations

from sphinx.search.ja import JanomeSplitter

#: The longest compound indexed, in janome words (確率的勾配降下法 has five).
MAX_PARTS = 6


class JanomeCompoundSplitter(JanomeSplitter):
    """janome's words, plus every compound of consecutive nouns.

    A run is nouns and prefixes (逆, 最), which the particle の may join (上流の勾配); a compound
    starts with a prefix or a noun and ends with a noun.
    """

    def split(self, input: str) -> list[str]:  # noqa: A002 -- Sphinx's signature
        """Return the words of *input*: janome's, then the compounds of consecutive nouns."""
        words: list[str] = []
        compounds: list[str] = []
        run: list[tuple[str, str]] = []

        def close_run() -> None:
            for start in range(len(run)):
                if run[start][1] == "joiner":
                    continue
                for end in range(start + 2, min(len(run), start + MAX_PARTS) + 1):
                    if run[end - 1][1] == "noun":
                        compounds.append("".join(surface for surface, _ in run[start:end]))
            run.clear()

        for token in self.tokenizer.tokenize(input):
            surface = token.surface
            words.append(surface)
            kind = _kind(token.part_of_speech, surface)
            if kind is None or (kind == "joiner" and not run):
                close_run()
            else:
                run.append((surface, kind))
        close_run()
        return " ".join(words).split(" ") + compounds


def _kind(part_of_speech: str, surface: str) -> str | None:
    """How a janome word takes part in a compound: noun, prefix, joiner (の) or not at all."""
    if surface.isspace():
        return None
    if part_of_speech.startswith("名詞"):
        return "noun"
    if part_of_speech.startswith("接頭詞"):
        return "prefix"
    if part_of_speech.startswith("助詞,連体化") and surface == "の":
        return "joiner"
    return None
