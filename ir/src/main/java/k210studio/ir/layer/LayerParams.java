package k210studio.ir.layer;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The typed parameters of one layer, one record per layer kind of the catalog, named and
 * behaving as in Keras. A {@code switch} over this sealed type is checked by the compiler.
 * Weights are not part of the parameters: they live on the {@link k210studio.ir.graph.Layer}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Input.class, name = "InputLayer"),
    @JsonSubTypes.Type(value = Conv2D.class, name = "Conv2D"),
    @JsonSubTypes.Type(value = DepthwiseConv2D.class, name = "DepthwiseConv2D"),
    @JsonSubTypes.Type(value = SeparableConv2D.class, name = "SeparableConv2D"),
    @JsonSubTypes.Type(value = Conv2DTranspose.class, name = "Conv2DTranspose"),
    @JsonSubTypes.Type(value = ZeroPadding2D.class, name = "ZeroPadding2D"),
    @JsonSubTypes.Type(value = BatchNormalization.class, name = "BatchNormalization"),
    @JsonSubTypes.Type(value = Activation.class, name = "Activation"),
    @JsonSubTypes.Type(value = ReLU.class, name = "ReLU"),
    @JsonSubTypes.Type(value = LeakyReLU.class, name = "LeakyReLU"),
    @JsonSubTypes.Type(value = PReLU.class, name = "PReLU"),
    @JsonSubTypes.Type(value = MaxPooling2D.class, name = "MaxPooling2D"),
    @JsonSubTypes.Type(value = AveragePooling2D.class, name = "AveragePooling2D"),
    @JsonSubTypes.Type(value = GlobalAveragePooling2D.class, name = "GlobalAveragePooling2D"),
    @JsonSubTypes.Type(value = GlobalMaxPooling2D.class, name = "GlobalMaxPooling2D"),
    @JsonSubTypes.Type(value = Dense.class, name = "Dense"),
    @JsonSubTypes.Type(value = Flatten.class, name = "Flatten"),
    @JsonSubTypes.Type(value = Reshape.class, name = "Reshape"),
    @JsonSubTypes.Type(value = Dropout.class, name = "Dropout"),
    @JsonSubTypes.Type(value = Add.class, name = "Add"),
    @JsonSubTypes.Type(value = Subtract.class, name = "Subtract"),
    @JsonSubTypes.Type(value = Multiply.class, name = "Multiply"),
    @JsonSubTypes.Type(value = Concatenate.class, name = "Concatenate"),
    @JsonSubTypes.Type(value = UpSampling2D.class, name = "UpSampling2D"),
    @JsonSubTypes.Type(value = Softmax.class, name = "Softmax"),
    @JsonSubTypes.Type(value = Resizing.class, name = "Resizing"),
})
public sealed interface LayerParams permits Input, Conv2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose,
        ZeroPadding2D, BatchNormalization, Activation, ReLU, LeakyReLU, PReLU, MaxPooling2D, AveragePooling2D,
        GlobalAveragePooling2D, GlobalMaxPooling2D, Dense, Flatten, Reshape, Dropout, Add, Subtract, Multiply,
        Concatenate, UpSampling2D, Softmax, Resizing {

    /** The Keras class name, e.g. "Conv2D". */
    @JsonIgnore
    String kerasName();

    /** Fewest inputs the layer takes (0 for Input). */
    @JsonIgnore
    default int minInputs() {
        return 1;
    }

    /** Most inputs the layer takes ({@link Integer#MAX_VALUE} for merges). */
    @JsonIgnore
    default int maxInputs() {
        return 1;
    }
}
