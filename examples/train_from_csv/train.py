# Train a NeuralNetwork on a CSV file, in CPython: which fruit is it?
#
#   python train.py                      (fruits.csv, next to this script)
#   python train.py my_data.csv label    (your own CSV: the column to learn, the rest are inputs)
#
# Each line of the CSV is one example: a fruit's weight, its size and its colour (a word:
# the network turns words into numbers itself), and the answer, the fruit. The script
# trains, prints how well the network does on examples it never trained on, asks it about
# two new fruits, and saves it in the folder fruit_model (ml5.js can load it too).

import sys

from ml5py import NeuralNetwork

file_name = sys.argv[1] if len(sys.argv) > 1 else "fruits.csv"
answer_column = sys.argv[2] if len(sys.argv) > 2 else "fruit"

nn = NeuralNetwork(task="classification")
nn.load_data(file_name, outputs=[answer_column])   # every other column is an input
nn.normalize_data()                                # numbers of every size count alike


def show(epoch, logs):
    if epoch % 10 == 9:                            # every 10th pass over the examples
        print("epoch", epoch + 1, "loss", round(logs["loss"], 3))


history = nn.train(epochs=60, validation_split=0.2, while_training=show)
print("validation accuracy:", str(round(history["val_acc"][-1] * 100)) + "%")

if file_name == "fruits.csv":
    for fruit in [{"weight_g": 155, "diameter_cm": 7.6, "colour": "red"},
                  {"weight_g": 6, "diameter_cm": 1.9, "colour": "purple"}]:
        best = nn.classify(fruit)[0]
        print(fruit, "->", best["label"], str(round(best["confidence"] * 100)) + "%")

nn.save("fruit_model")
print("saved fruit_model/ (model.json, model_meta.json, model.weights.bin)")
