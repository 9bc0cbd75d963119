package org.longbel.decoding;

/**
 * {@code torch.topk(largest=True, sorted=True)} on CPU, tie order included: PyTorch's
 * {@code topk_impl_loop} (aten/src/ATen/native/cpu/SortingKernel.cpp) over libstdc++'s heap, select and
 * sort algorithms, transcribed step for step. Equal values come out in the order these algorithms
 * leave them, which is what the reference's dead beams (scores that round to -1e9) depend on.
 *
 * <p>Two paths, as in PyTorch: when {@code k * 64 <= n}, {@code std::partial_sort} of the first k over
 * the whole input ({@link Stream}: a k-element heap streamed in index order); otherwise
 * {@code std::nth_element} at k-1 then {@code std::sort} of the first k-1 elements ({@link #topk}).
 * The comparator is {@code a > b} (NaN first). Some PyTorch builds replace the partial sort with
 * {@code pop_heap}/{@code push_heap} on a k-element queue, which orders ties differently; the
 * partial sort is the one that reproduces the reference fixtures' dead ranks slot for slot.
 */
final class TorchTopK {

    private TorchTopK() {}

    /** libstdc++'s threshold below which sort and select fall back to insertion sort. */
    private static final int THRESHOLD = 16;

    /** Whether PyTorch streams a heap for this size (else it runs nth_element). */
    static boolean usesHeap(int k, long n) {
        return (long) k * 64 <= n;
    }

    /** {@code torch.topk(values, k)}: indices of the top k values, in PyTorch's output order. */
    static int[] topk(float[] values, int k) {
        int n = values.length;
        if (k > n) throw new IllegalArgumentException("k = " + k + " > n = " + n);
        if (k == 0) return new int[0];
        if (usesHeap(k, n)) {
            Stream s = new Stream(k);
            for (int i = 0; i < k; i++) s.initial(values[i], i);
            s.heapify();
            for (int i = k; i < n; i++) s.offer(values[i], i);
            return s.finish();
        }
        float[] v = values.clone();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Elements e = new Elements(v, idx);
        e.nthElement(0, k - 1, n);
        e.sort(0, k - 1);
        int[] out = new int[k];
        System.arraycopy(idx, 0, out, 0, k);
        return out;
    }

    /** The comparator of {@code TopKComparator<largest=true>}. */
    static boolean greater(float a, float b) {
        return (Float.isNaN(a) && !Float.isNaN(b)) || a > b;
    }

    /**
     * The heap path, {@code std::partial_sort(first, first + k, last)} = {@code __heap_select} then
     * {@code __sort_heap}: {@code make_heap} over the first k elements, then every later element, in
     * index order, that compares greater than the heap front replaces the front and is sifted down
     * ({@code __pop_heap(first, middle, i)}); finally {@code sort_heap}. Elements that do not beat the
     * front have no effect, so callers may skip them ({@link #accepts}).
     */
    static final class Stream {
        private final Elements heap;
        private final int k;
        private int filled;

        Stream(int k) {
            this.k = k;
            heap = new Elements(new float[k], new int[k]);
        }

        /** One of the first k elements (indices 0..k-1, in order). */
        void initial(float value, int index) {
            heap.v[filled] = value;
            heap.i[filled++] = index;
        }

        /** {@code std::make_heap} after the k initial elements. */
        void heapify() {
            if (filled != k) throw new IllegalStateException(filled + " initial elements, expected " + k);
            heap.makeHeap(0, k);
        }

        /** The value at the heap front: an element enters only if it compares greater. */
        float front() {
            return heap.v[0];
        }

        boolean accepts(float value) {
            return greater(value, heap.v[0]);
        }

        /** A later element (ascending index order). */
        void offer(float value, int index) {
            if (greater(value, heap.v[0])) heap.adjustHeap(0, 0, k, value, index);
        }

        /** {@code std::sort_heap}; returns the indices in output order. */
        int[] finish() {
            heap.sortHeap(0, k);
            return heap.i.clone();
        }

    }

    /** Parallel (value, index) arrays with libstdc++'s algorithms over ranges [first, last). */
    private static final class Elements {
        final float[] v;
        final int[] i;

        Elements(float[] v, int[] i) {
            this.v = v;
            this.i = i;
        }

        private boolean comp(int a, int b) {
            return greater(v[a], v[b]);
        }

        private void swap(int a, int b) {
            float tv = v[a];
            v[a] = v[b];
            v[b] = tv;
            int ti = i[a];
            i[a] = i[b];
            i[b] = ti;
        }

        // ---- heap (bits/stl_heap.h) ----

        void makeHeap(int first, int last) {
            int len = last - first;
            if (len < 2) return;
            int parent = (len - 2) / 2;
            while (true) {
                adjustHeap(first, parent, len, v[first + parent], i[first + parent]);
                if (parent == 0) return;
                parent--;
            }
        }

        void adjustHeap(int first, int hole, int len, float value, int index) {
            int top = hole;
            int second = hole;
            while (second < (len - 1) / 2) {
                second = 2 * (second + 1);
                if (comp(first + second, first + second - 1)) second--;
                v[first + hole] = v[first + second];
                i[first + hole] = i[first + second];
                hole = second;
            }
            if ((len & 1) == 0 && second == (len - 2) / 2) {
                second = 2 * (second + 1);
                v[first + hole] = v[first + second - 1];
                i[first + hole] = i[first + second - 1];
                hole = second - 1;
            }
            pushHeapValue(first, hole, top, value, index);
        }

        private void pushHeapValue(int first, int hole, int top, float value, int index) {
            int parent = (hole - 1) / 2;
            while (hole > top && greater(v[first + parent], value)) {
                v[first + hole] = v[first + parent];
                i[first + hole] = i[first + parent];
                hole = parent;
                parent = (hole - 1) / 2;
            }
            v[first + hole] = value;
            i[first + hole] = index;
        }

        /** {@code __pop_heap(first, last, result)}: the front goes to result, result's value is sifted in. */
        private void popHeapInto(int first, int last, int result) {
            float value = v[result];
            int index = i[result];
            v[result] = v[first];
            i[result] = i[first];
            adjustHeap(first, 0, last - first, value, index);
        }

        void sortHeap(int first, int last) {
            while (last - first > 1) {
                last--;
                popHeapInto(first, last, last);
            }
        }

        private void heapSelect(int first, int middle, int last) {
            makeHeap(first, middle);
            for (int x = middle; x < last; x++) {
                if (comp(x, first)) popHeapInto(first, middle, x);
            }
        }

        // ---- select and sort (bits/stl_algo.h) ----

        private static int lg(int n) {
            return 31 - Integer.numberOfLeadingZeros(n);
        }

        void nthElement(int first, int nth, int last) {
            if (first == last || nth == last) return;
            int depth = lg(last - first) * 2;
            while (last - first > 3) {
                if (depth == 0) {
                    heapSelect(first, nth + 1, last);
                    swap(first, nth);
                    return;
                }
                depth--;
                int cut = partitionPivot(first, last);
                if (cut <= nth) first = cut;
                else last = cut;
            }
            insertionSort(first, last);
        }

        void sort(int first, int last) {
            if (first == last) return;
            introsortLoop(first, last, lg(last - first) * 2);
            if (last - first > THRESHOLD) {
                insertionSort(first, first + THRESHOLD);
                for (int x = first + THRESHOLD; x < last; x++) unguardedLinearInsert(x);
            } else {
                insertionSort(first, last);
            }
        }

        private void introsortLoop(int first, int last, int depth) {
            while (last - first > THRESHOLD) {
                if (depth == 0) {
                    heapSelect(first, last, last);
                    sortHeap(first, last);
                    return;
                }
                depth--;
                int cut = partitionPivot(first, last);
                introsortLoop(cut, last, depth);
                last = cut;
            }
        }

        private int partitionPivot(int first, int last) {
            int mid = first + (last - first) / 2;
            moveMedianToFirst(first, first + 1, mid, last - 1);
            return unguardedPartition(first + 1, last, first);
        }

        private void moveMedianToFirst(int result, int a, int b, int c) {
            if (comp(a, b)) {
                if (comp(b, c)) swap(result, b);
                else if (comp(a, c)) swap(result, c);
                else swap(result, a);
            } else if (comp(a, c)) {
                swap(result, a);
            } else if (comp(b, c)) {
                swap(result, c);
            } else {
                swap(result, b);
            }
        }

        private int unguardedPartition(int first, int last, int pivot) {
            while (true) {
                while (comp(first, pivot)) first++;
                last--;
                while (comp(pivot, last)) last--;
                if (!(first < last)) return first;
                swap(first, last);
                first++;
            }
        }

        private void insertionSort(int first, int last) {
            if (first == last) return;
            for (int x = first + 1; x < last; x++) {
                if (comp(x, first)) {
                    float value = v[x];
                    int index = i[x];
                    System.arraycopy(v, first, v, first + 1, x - first);
                    System.arraycopy(i, first, i, first + 1, x - first);
                    v[first] = value;
                    i[first] = index;
                } else {
                    unguardedLinearInsert(x);
                }
            }
        }

        private void unguardedLinearInsert(int last) {
            float value = v[last];
            int index = i[last];
            int next = last - 1;
            while (greater(value, v[next])) {
                v[last] = v[next];
                i[last] = i[next];
                last = next;
                next--;
            }
            v[last] = value;
            i[last] = index;
        }
    }
}
