"""Train an image classifier from folders of pictures, in CPython.

    python train.py pictures/            (ML5PY_MODELS=... if MobileNet is not cached yet)
    python train.py pictures/ --epochs 30 --save my_model

``pictures/`` holds one folder per class; the folder's name is the label:

    pictures/cat/1.jpg, pictures/cat/2.jpg, ...
    pictures/dog/1.jpg, ...

30% of each class's pictures are kept aside to check the model on pictures it never
trained on; the script prints how many of those it gets right. The saved folder loads
with ``ImageClassifier("my_model")``, here and in the browser.
"""
import argparse
from pathlib import Path

from ml5py import FeatureExtractor

PICTURES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp"}


def main():
    parser = argparse.ArgumentParser(description="Train an image classifier from folders of pictures.")
    parser.add_argument("folder", help="a folder with one folder of pictures per class")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--save", default="my_model", help="where to save the model (a folder)")
    args = parser.parse_args()

    folder = Path(args.folder)
    if not folder.is_dir():
        parser.error(f"there is no folder {folder}: give the folder that holds one folder of pictures per class")
    classes = [c for c in sorted(folder.iterdir()) if c.is_dir()]
    if len(classes) < 2:
        parser.error(f"{folder} has {len(classes)} class folder(s); make one folder of pictures per class "
                     f"(at least two), named after the label, e.g. {folder / 'cat'}/1.jpg")

    features = FeatureExtractor("MobileNet")
    model = features.classification({"epochs": args.epochs})
    for class_folder in classes:
        pictures = [p for p in sorted(class_folder.iterdir()) if p.suffix.lower() in PICTURES]
        for picture in pictures:
            model.add_image(str(picture), class_folder.name)   # the folder name is the label
        print(f"{class_folder.name}: {len(pictures)} pictures")

    def show(epoch, loss, val_loss, logs):
        checked = "" if val_loss is None else f", kept-aside loss {val_loss:.4f}"
        print(f"epoch {epoch}: loss {loss:.4f}{checked}")

    history = model.train(on_progress=show)
    accuracy = history["val_accuracy"][-1]
    if accuracy is None:
        print("Too few pictures to keep some aside: add more to check the model.")
    else:
        print(f"validation accuracy: {accuracy:.1%} (pictures it never trained on)")
    model.save(args.save)
    print(f"saved to {args.save}/ - ImageClassifier(\"{args.save}\") loads it")


if __name__ == "__main__":
    main()
