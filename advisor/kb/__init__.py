"""Knowledge base: load, clean, chunk, embed and store documents; hybrid retrieval over them."""
