package k210studio.ir.project;

/** Order of the colour channels the model expects in its input tensor's last axis. */
public enum ChannelOrder {
    /** red, green, blue (Keras/TensorFlow default) */
    RGB,
    /** blue, green, red (OpenCV / Caffe-trained models) */
    BGR,
    /** one grey channel */
    GRAY
}
