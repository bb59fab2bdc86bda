/* kmodel_run: K210 Studio's test driver around nncase v0.2.0-beta4's own runtime (host build,
 * NNCASE_TARGET=k210 => software KPU emulation, as used by `ncc infer`). Modelled on the driver in
 * ../shared/oracles/nncase-v0.2.0-beta4-runtime/driver (itself modelled on nncase's src/cli/inference.cpp):
 * copy input 0, run, dump every output's raw bytes; optionally dump every node's output too.
 *
 * usage: kmodel_run MODEL.kmodel INPUT.bin OUTDIR [--profile] [--dump-nodes DIR]
 *   INPUT.bin: raw bytes of input 0 in NCHW order (uint8 for uint8 models,
 *              little-endian float32 for float models).
 *   writes OUTDIR/out_0.bin ... OUTDIR/out_{N-1}.bin (raw bytes, as ncc infer would concatenate them).
 *   --dump-nodes DIR: after node i has run, writes DIR/node_<i>.bin and a line of DIR/index.txt:
 *       <i> <opcode hex> <opcode name> <memory> <datatype> <bytes>
 *     The bytes are the raw bytes of the node's `output` range as they are in memory right after the
 *     node (KPUUpload: its KPU RAM range, in the KPU row layout); for KPUConv2D, whose output lives in
 *     KPU RAM at image_dst_addr, the pooled map downloaded to dense N x C x H x W uint8 (what
 *     main_mem_output receives). kpu-sim's per-node trace records the same bytes.
 *
 * No source file of nncase is changed: the per-node hook is the interpreter's node_profile callback,
 * which interpreter_base::step() calls synchronously after each node has run (node i's call is the
 * i-th); the driver parses the node headers and bodies with nncase's own option structs.
 */
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <type_traits>
#include <vector>
#include <kernels/k210/k210_kernels.h>
#include <runtime/cpu/cpu_ops_body.h>
#include <runtime/k210/k210_ops_body.h>
#include <runtime/model.h>
#include <runtime/neutral/neutral_ops_body.h>
#include <runtime/runtime_op.h>
#include <runtime/span_reader.h>
#include <runtime/target_interpreter.h>

using namespace nncase;
using namespace nncase::runtime;

static std::vector<uint8_t> read_all(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw std::runtime_error("cannot open " + path);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

static void write_all(const std::string &path, const void *data, size_t size)
{
    std::ofstream of(path, std::ios::binary | std::ios::out);
    of.write(reinterpret_cast<const char *>(data), size);
    if (!of)
        throw std::runtime_error("cannot write " + path);
}

static const char *dt_name(datatype_t dt)
{
    switch (dt)
    {
    case dt_float32: return "float32";
    case dt_uint8: return "uint8";
    default: return "other";
    }
}

static const char *mem_name(memory_type_t mt)
{
    switch (mt)
    {
    case mem_const: return "const";
    case mem_main: return "main";
    case mem_k210_kpu: return "kpu";
    default: return "other";
    }
}

/* One node of the program as the interpreter walks it: opcode and body bytes. */
struct node_ref
{
    runtime_opcode opcode;
    xtl::span<const uint8_t> body;
};

/* The node headers and bodies, located exactly as interpreter_base::try_load_model does. */
static std::vector<node_ref> parse_nodes(const uint8_t *buffer)
{
    auto header = reinterpret_cast<const model_header *>(buffer);
    auto offset = buffer + sizeof(model_header);
    offset += sizeof(memory_range) * header->inputs;
    offset += sizeof(runtime_shape_t) * header->inputs;
    offset += sizeof(memory_range) * header->outputs;
    offset += header->constants;
    auto headers = reinterpret_cast<const node_header *>(offset);
    offset += sizeof(node_header) * header->nodes;
    std::vector<node_ref> nodes;
    for (uint32_t i = 0; i < header->nodes; i++)
    {
        nodes.push_back({ headers[i].opcode, { offset, headers[i].body_size } });
        offset += headers[i].body_size;
    }
    return nodes;
}

template <class T, class = void>
struct has_output : std::false_type
{
};

template <class T>
struct has_output<T, std::void_t<decltype(std::declval<T &>().output)>> : std::true_type
{
};

/* Everything needed to dump one node's result. */
struct node_output
{
    bool known = false;
    bool kpu_map = false;    // KPUConv2D: dense download of the map at image_dst_addr
    memory_range range {};   // otherwise: the raw output range
    runtime_shape_t shape {}; // KPUConv2D: N, C, H, W of the pooled map
};

template <class TOptions>
static node_output output_of(xtl::span<const uint8_t> body)
{
    node_output out;
    if constexpr (has_output<TOptions>::value)
    {
        span_reader reader(body);
        TOptions options;
        options.deserialize(reader);
        out.known = true;
        out.range = options.output;
    }
    return out;
}

template <>
node_output output_of<k210::kpu_conv2d_options>(xtl::span<const uint8_t> body)
{
    span_reader reader(body);
    k210::kpu_conv2d_options options;
    options.deserialize(reader);
    node_output out;
    out.known = true;
    out.kpu_map = true;
    out.range = { mem_k210_kpu, dt_uint8, (uint32_t)options.layer.image_addr.data.image_dst_addr * 64, 1 };
    out.shape = { options.batches, (int32_t)options.layer.image_channel_num.data.o_ch_num + 1,
        (int32_t)options.layer.image_size.data.o_col_high + 1, (int32_t)options.layer.image_size.data.o_row_wid + 1 };
    return out;
}

/* Dispatch on the opcode with nncase's own op table (runtime_op.def), as kernel_registry.cpp does. */
static node_output output_of(const node_ref &node)
{
    switch (node.opcode)
    {
#define BEGINE_DEFINE_TARGET(...)
#define DEFINE_NEUTRAL_RUNTIME_OP(id, name, value) \
    case rop_##id:                                 \
        return output_of<neutral::id##_options>(node.body);
#define DEFINE_RUNTIME_OP(target, id, name, value) \
    case rop_##target##_##id:                      \
        return output_of<target::id##_options>(node.body);
#define END_DEFINE_TARGET()
#include <runtime/runtime_op.def>
#undef BEGINE_DEFINE_TARGET
#undef DEFINE_NEUTRAL_RUNTIME_OP
#undef DEFINE_RUNTIME_OP
#undef END_DEFINE_TARGET
    default:
        return {};
    }
}

struct dump_state
{
    interpreter_t *interp = nullptr;
    std::vector<node_ref> nodes;
    std::string dir;
    bool profile = false;
    size_t next = 0;
    std::ofstream index;
    std::string failure;
};

static bool g_error = false;
static void done_thunk(void *) {}
static void on_error_thunk(const char *err, void *)
{
    std::cerr << "Fatal: " << err << std::endl;
    g_error = true;
}

static void dump_node(dump_state &s, size_t i)
{
    auto &node = s.nodes.at(i);
    auto out = output_of(node);
    std::string fn = s.dir + "/node_" + std::to_string(i) + ".bin";
    size_t bytes = 0;
    if (out.known && out.kpu_map)
    {
        std::vector<uint8_t> dense(kernels::details::compute_size(out.shape));
        auto kpu = s.interp->memory_at<uint8_t>(out.range);
        kernels::k210::kpu_download(kpu.data(), dense.data(), out.shape);
        write_all(fn, dense.data(), dense.size());
        bytes = dense.size();
    }
    else if (out.known)
    {
        auto mem = s.interp->memory_at<const uint8_t>(out.range);
        write_all(fn, mem.data(), mem.size());
        bytes = mem.size();
    }
    char op[16];
    std::snprintf(op, sizeof op, "0x%x", (unsigned)node.opcode);
    auto name = node_opcode_names(node.opcode);
    s.index << i << ' ' << op << ' ' << (name.empty() ? std::string("unknown") : std::string(name.data(), name.size())) << ' '
            << (out.known ? mem_name(out.range.memory_type) : "none") << ' ' << (out.known ? dt_name(out.range.datatype) : "none")
            << ' ' << bytes << '\n';
}

/* Called by interpreter_base::step() after each node (the i-th call follows node i). */
static void node_profile_thunk(runtime_opcode op, std::chrono::nanoseconds duration, void *userdata)
{
    auto &s = *reinterpret_cast<dump_state *>(userdata);
    if (s.profile)
        std::cout << node_opcode_names(op) << ": " << duration.count() / 1e6 << "ms" << std::endl;
    if (!s.dir.empty() && s.failure.empty())
    {
        try
        {
            dump_node(s, s.next);
        }
        catch (std::exception &e)
        {
            s.failure = e.what();
        }
    }
    s.next++;
}

int main(int argc, char **argv)
{
    if (argc < 4)
    {
        std::cerr << "usage: " << argv[0] << " MODEL.kmodel INPUT.bin OUTDIR [--profile] [--dump-nodes DIR]" << std::endl;
        return 2;
    }
    dump_state state;
    for (int a = 4; a < argc; a++)
    {
        std::string arg = argv[a];
        if (arg == "--profile")
            state.profile = true;
        else if (arg == "--dump-nodes" && a + 1 < argc)
            state.dir = argv[++a];
        else
        {
            std::cerr << "unknown option " << arg << std::endl;
            return 2;
        }
    }
    try
    {
        auto model = read_all(argv[1]);
        auto input = read_all(argv[2]);
        std::string outdir = argv[3];
        mkdir(outdir.c_str(), 0755);

        // the interpreter keeps pointers into the model buffer; keep it alive and aligned
        std::vector<uint64_t> model_buf((model.size() + 7) / 8);
        std::memcpy(model_buf.data(), model.data(), model.size());
        auto model_bytes = reinterpret_cast<const uint8_t *>(model_buf.data());

        interpreter_t interp;
        if (!interp.try_load_model(model_bytes))
            throw std::runtime_error("Invalid model");
        state.interp = &interp;
        if (!state.dir.empty())
        {
            mkdir(state.dir.c_str(), 0755);
            state.nodes = parse_nodes(model_bytes);
            state.index.open(state.dir + "/index.txt");
            if (!state.index)
                throw std::runtime_error("cannot write " + state.dir + "/index.txt");
        }

        auto in_range = interp.input_at(0);
        auto &in_shape = interp.input_shape_at(0);
        size_t elems = (size_t)in_shape[0] * in_shape[1] * in_shape[2] * in_shape[3];
        size_t esize = in_range.datatype == dt_float32 ? 4 : 1;
        std::cout << "inputs: " << interp.inputs_size() << ", input0 shape [" << in_shape[0] << "," << in_shape[1] << ","
                  << in_shape[2] << "," << in_shape[3] << "] " << dt_name(in_range.datatype)
                  << " mem=" << mem_name(in_range.memory_type) << std::endl;
        if (input.size() != elems * esize)
            throw std::runtime_error("input size mismatch: got " + std::to_string(input.size()) + " bytes, expected " + std::to_string(elems * esize));

        auto input_mem = interp.memory_at<uint8_t>(in_range);
        if (in_range.memory_type == mem_main)
        {
            if (input_mem.size() < input.size())
                throw std::runtime_error("input memory range too small");
            std::copy(input.begin(), input.end(), input_mem.begin());
        }
        else if (in_range.memory_type == mem_k210_kpu)
        {
            if (in_range.datatype != dt_uint8)
                throw std::runtime_error("K210 only support uint8 input");
            kernels::k210::kpu_upload(input.data(), input_mem.data(), in_shape);
        }
        else
        {
            throw std::runtime_error("Unsupported input memory type");
        }

        interp.run(done_thunk, on_error_thunk, node_profile_thunk, &state);
        if (g_error)
            return 1;
        if (!state.failure.empty())
            throw std::runtime_error("node dump: " + state.failure);
        state.index.close();

        for (size_t i = 0; i < interp.outputs_size(); i++)
        {
            auto out_range = interp.output_at(i);
            auto output = interp.memory_at<const char>(out_range);
            std::string fn = outdir + "/out_" + std::to_string(i) + ".bin";
            write_all(fn, output.data(), output.size());
            std::cout << "output " << i << ": " << output.size() << " bytes " << dt_name(out_range.datatype) << " -> " << fn << std::endl;
        }
        std::cout << "Total: " << interp.total_duration().count() / 1e6 << "ms" << std::endl;
    }
    catch (std::exception &e)
    {
        std::cerr << "Error: " << e.what() << std::endl;
        return 1;
    }
    return 0;
}
