"""Names and sizes of the face embeddings, readable without loading a model.

The name is stored with every face (``faces.embedding_model``) and names the vector collection,
so the embedders and the runtime must agree on it: change an embedding, change its name here.
"""

DLIB = ("dlib_resnet_v1", 128)
FACENET = ("facenet_vggface2", 512)
