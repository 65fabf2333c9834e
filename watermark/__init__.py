"""Watermarks that let a deployer show an image or a text came from their generator.

Images: :func:`embed_image` adds a keyed, error-corrected payload to the luma of an image
(numpy, PIL or file); :func:`detect_image` finds it after JPEG, resizing, brightness,
noise and crops, with a p-value corrected for the geometries it searched.

Text: :class:`TextWatermark` provides a ``transformers`` logits processor (a keyed
green list, Kirchenbauer et al. 2023) and a z-test detector that needs only the key and the
tokenizer.

Interoperability: :func:`detect_third_party` finds the invisible-watermark dwtDct messages
that Stable Diffusion pipelines embed; :func:`attach_credentials` signs C2PA content
credentials into a generated image file (:func:`sign_outputs`: every image file a generator
returned, as the guard does when the policy names a signing certificate) and
:func:`read_credentials` validates them.

Keys come from the caller and are never recorded: use :func:`key_id` in logs and reports.

Example:
    >>> import numpy as np
    >>> from raikit.watermark import detect_image, embed_image, key_id
    >>> img = np.full((256, 256, 3), 120, dtype=np.uint8)
    >>> detect_image(embed_image(img, key="s3cret", payload="m1"), key="s3cret").payload
    'm1'
"""

from ._c2pa import ContentCredentials, attach_credentials, read_credentials, sign_outputs
from ._image import ImageDetection, detect_image, embed_image
from ._interop import ThirdPartyMark, detect_third_party
from ._keys import key_id
from ._mark import mark_images
from ._text import TextWatermark
from ._text_detector import TextDetection

__all__ = [
    "ContentCredentials",
    "ImageDetection",
    "TextDetection",
    "TextWatermark",
    "ThirdPartyMark",
    "attach_credentials",
    "detect_image",
    "detect_third_party",
    "embed_image",
    "key_id",
    "mark_images",
    "read_credentials",
    "sign_outputs",
]
