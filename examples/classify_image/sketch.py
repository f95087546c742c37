# What is in this photo? Classify it with MobileNet, a network trained on a million photos.
#
#   In Python:   python sketch.py my_photo.jpg
#   In a browser: ml5py serve sketch.py   (then choose or drop a photo on the page)

from ml5py import ImageClassifier, ask_for_image


def got_results(results, error):
    # ml5py calls this when the answer is ready: results is a list, best guess first.
    if error:
        print("Could not classify:", error)
        return
    for result in results:
        print(result["label"], round(result["confidence"], 3))


classifier = ImageClassifier("MobileNet")   # the model loads in the background
photo = ask_for_image("bird.jpg")           # the photo you give (bird.jpg if it is here)
classifier.classify(photo, got_results)     # waits for both, then calls got_results
