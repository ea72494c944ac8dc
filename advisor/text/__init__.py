"""Text handling shared by retrieval and grounding: language, sentences, tokens and stop words, numbers."""
