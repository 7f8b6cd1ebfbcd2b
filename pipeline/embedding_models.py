"""Names and sizes of the face embeddings, readable without loading a model.

The name is stored with every face (``faces.embedding_model``) and names the vector collection,
so the embedders and the runtime must agree on it: change an embedding, change its name here.
"""

# _squarebox: the 5-point predictor looks in the box dlib's detector would give (pipeline.ml.embedder),
# not in MTCNN's taller one; faces embedded the earlier way are "dlib_resnet_v1".
DLIB = ("dlib_resnet_v1_squarebox", 128)
FACENET = ("facenet_vggface2", 512)
