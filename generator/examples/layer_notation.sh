python -m generator table convnet39 --format md
